# Shortcuts for tasks.py, which needs nothing but Python.
.PHONY: run report test setup
run:
	python3 tasks.py run
report:
	python3 tasks.py report
test:
	python3 tasks.py test
setup:
	python3 tasks.py setup
