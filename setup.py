"""Packaging: the top-level folders become one namespace, untact.*.

Generic top-level names like ``ui`` or ``hardware`` would collide with other packages, so
each folder is installed as ``untact.<folder>``; ``untact`` itself is an implicit
namespace with no folder of its own. Subpackages are found, never listed by hand.
Everything else (metadata, dependencies, package data) is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

FOLDERS = ("accessibility", "firmware", "hardware", "shop", "simulator", "ui", "web")

setup(
    # Namespace packages too: data folders (the audit's fixtures) are packages of their own.
    packages=[f"untact.{folder}" for folder in FOLDERS]
    + [f"untact.{folder}.{sub}" for folder in FOLDERS
       for sub in find_namespace_packages(folder, exclude=["*__pycache__*"])],
    package_dir={f"untact.{folder}": folder for folder in FOLDERS},
)
