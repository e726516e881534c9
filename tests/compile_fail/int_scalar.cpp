// expected-error: descent: Scalar must be float or double
#include <descent/descent.hpp>

int main() {
  descent::Adam<int> opt;
  return static_cast<int>(opt.num_blocks());
}
