# Shortcuts for the commands in README.md.
.PHONY: install lint fmt test demo ci

install:
	python3 -m venv .venv && .venv/bin/pip install -e '.[test]'

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

fmt:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

test:
	.venv/bin/pytest

demo:
	.venv/bin/shangliang demo

ci:
	bash .ci/run
