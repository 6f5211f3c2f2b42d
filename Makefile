# Every target creates what it needs: a fresh machine needs only Python 3.13 (see infra/find-python.sh).
SHELL := /bin/bash
PYTHON ?= $(shell infra/find-python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 3000

.PHONY: help venv tools run test lint format bench build validate deploy openapi i18n load fuzz fuzz-properties mutate mutate-conditions audit clean

help:
	@echo "make run       start the product locally on http://127.0.0.1:$(PORT) (moto in memory, demo data)"
	@echo "make test      run the whole test suite (creates .venv and tool environments)"
	@echo "make lint      ruff and mypy"
	@echo "make bench     performance figures, written to .bench/results.json"
	@echo "make build     sam build (arm64, python3.13)"
	@echo "make deploy    sam build && sam deploy --guided"
	@echo "make load      full-size load test against a fresh local stack (SUBMISSIONS, CLIENTS)"
	@echo "make fuzz      full contract fuzzing (schemathesis) against the local stack"
	@echo "make fuzz-properties  the property tests with many random examples (FUZZ_PROPERTY_EXAMPLES)"
	@echo "make mutate    mutation testing (mutmut) of the modules listed in pyproject.toml; see docs/testing.md"
	@echo "make mutate-conditions  the data layer's write conditions mutated as sent (ONLY=<dal module>, BUDGET=<tests>)"
	@echo "make audit     pip-audit of the pinned dependencies"
	@echo "make i18n      the message catalogs brought up to date with the code and compiled (docs/i18n.md)"

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.13 not found" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Tool environments: each pins its own boto3/pydantic, so each gets its own virtualenv under .tools/.
TOOLS := .tools
$(TOOLS)/%/.installed: infra/tools/%.txt
	@test -n "$(PYTHON)" || { echo "Python 3.13 not found" >&2; exit 1; }
	rm -rf $(TOOLS)/$*
	$(PYTHON) -m venv $(TOOLS)/$*
	$(TOOLS)/$*/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS)/$*/bin/python -m pip install --quiet -r $<
	touch $@

$(TOOLS)/lambda-runtime/.installed: infra/tools/lambda-runtime.txt
	@test -n "$(PYTHON)" || { echo "Python 3.13 not found" >&2; exit 1; }
	rm -rf $(TOOLS)/lambda-runtime
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS)/lambda-runtime -r $<
	touch $@

tools: $(TOOLS)/sam/.installed $(TOOLS)/lambda-runtime/.installed $(TOOLS)/checkov/.installed $(TOOLS)/schemathesis/.installed $(TOOLS)/pip-audit/.installed

test: $(STAMP) tools
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(STAMP) $(TOOLS)/sam/.installed $(TOOLS)/lambda-runtime/.installed
	$(BIN)/python -m benchmarks.run

run: $(STAMP)
	PORT=$(PORT) $(BIN)/python -m infra.local.stack

build: tools
	PATH="$(CURDIR)/$(BIN):$$PATH" SAM_CLI_TELEMETRY=0 $(TOOLS)/sam/bin/sam build

validate: tools
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(TOOLS)/sam/bin/sam validate --lint

deploy: build
	SAM_CLI_TELEMETRY=0 $(TOOLS)/sam/bin/sam deploy --guided

load: $(STAMP)
	$(BIN)/python -m tests.stack.load --submissions $${SUBMISSIONS:-3000} --clients $${CLIENTS:-48}

fuzz: $(STAMP) tools
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} FUZZ_PHASES=examples,coverage,fuzzing $(BIN)/python -m pytest tests/stack/test_contract.py -p no:xdist

# The property tests, random (not the CI profile's fixed examples) and with many more examples each.
fuzz-properties: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_PROPERTY_EXAMPLES=$${FUZZ_PROPERTY_EXAMPLES:-2000} $(BIN)/python -m pytest tests/unit/matching/test_properties.py tests/unit/test_domain_rules.py -p no:xdist -q

# Mutation testing: the modules are listed once, in pyproject.toml's [tool.mutmut] only_mutate. Slow (see
# docs/testing.md), so not part of `make test`. MUTANTS narrows a run, e.g. MUTANTS='shared.services.links*'.
mutate: $(TOOLS)/mutmut/.installed
	rm -rf mutants
	HYPOTHESIS_PROFILE=mutate $(TOOLS)/mutmut/bin/mutmut run $${MUTANTS:-}
	$(TOOLS)/mutmut/bin/python -m infra.mutation_report

# The data layer's write conditions, mutated as they are sent (infra/condition_mutation.py, docs/testing.md).
# Slow: the suites run once, then each mutant runs the tests that sent its condition. BUDGET caps those.
mutate-conditions: $(STAMP)
	$(BIN)/python -m infra.condition_mutation $${ONLY:+--only $$ONLY} $${BUDGET:+--budget $$BUDGET}

audit: tools
	$(TOOLS)/pip-audit/bin/pip-audit --strict -r requirements.txt -r requirements-dev.txt  # --strict: a package it could not audit fails, not passes

openapi: $(STAMP)
	$(BIN)/python -m infra.openapi docs/openapi.json

i18n: $(STAMP)
	$(BIN)/python -m infra.i18n

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .tools .aws-sam .bench .pytest_cache .mypy_cache .ruff_cache .hypothesis
