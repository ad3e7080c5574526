# Shortcuts for tasks.py, which needs nothing but Python.
.PHONY: run test setup
run:
	python3 tasks.py run
test:
	python3 tasks.py test
setup:
	python3 tasks.py setup
