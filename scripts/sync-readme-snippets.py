#!/usr/bin/env python3
"""Rewrites every README.md code block announced by `<!-- snippet: PATH -->` with the file PATH,
so the README shows the compiled examples' code (tests/readme/check_snippets.cmake checks it)."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
readme = root / "README.md"
pattern = re.compile(r"(<!-- snippet: (\S+) -->\n```cpp\n)(.*?)(```)", re.S)
text = readme.read_text()
text = pattern.sub(lambda m: m.group(1) + (root / m.group(2)).read_text() + m.group(4), text)
readme.write_text(text)
