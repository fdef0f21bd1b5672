"""The generator of the verified reference of matrix calculus."""

VERSION = "0.1.0"
