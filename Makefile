# Each target does its own set-up; `make setup` is idempotent and quick when nothing changed.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup ask index chat serve test eval bench browser clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch first (pinned: resolves to the local CPU wheel here), then the project + test extras.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

ask: setup
	@$(BIN)/assistant ask "$(Q)"

index: setup
	$(BIN)/assistant index

chat: setup
	$(BIN)/assistant chat

serve: setup
	$(BIN)/assistant serve

# Headless Chromium for the browser tests, from Debian's packages when missing.
browser:
	@test -x $(CHROMIUM) || { \
	  echo "installing chromium from Debian packages"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

test: setup browser
	$(BIN)/python -m pytest -q

# Dev sets (tuned on), the regression gate and the older sets (calibration data now), each
# report next to the plain floors. Held-out sets are scored once, by hand (see README).
SETS := dev-real.jsonl dev-team.jsonl::eval/corpora/team dev-fresh.jsonl::eval/corpora/fresh \
        dev-third.jsonl::eval/corpora/third dev-fourth.jsonl::eval/corpora/fourth \
        dev-fifth.jsonl::eval/corpora/fifth dev-seventh.jsonl::eval/corpora/seventh \
        dev-eighth.jsonl::eval/corpora/eighth dev-tenth.jsonl::eval/corpora/tenth \
        dev-eleventh.jsonl::eval/corpora/eleventh dev-twelfth.jsonl::eval/corpora/twelfth \
        dev-sixteenth.jsonl::eval/corpora/sixteenth dev-eighteenth.jsonl::eval/corpora/eighteenth \
        dev-nineteenth.jsonl::eval/corpora/nineteenth \
        dev-twentieth.jsonl::eval/corpora/twentieth \
        dev-twentythird.jsonl::eval/corpora/twentythird \
        dev-twentyfourth.jsonl::eval/corpora/twentyfourth \
        dev-twentyfifth.jsonl::eval/corpora/twentyfifth \
        dev-twentyseventh.jsonl::eval/corpora/twentyseventh \
        dev-thirtyfirst.jsonl::eval/corpora/thirtyfirst \
        dev-thirtyfourth.jsonl::eval/corpora/thirtyfourth \
        dev-thirtyseventh.jsonl::eval/corpora/thirtyseventh \
        dev-thirtyninth.jsonl::eval/corpora/thirtyninth dev-fortieth.jsonl::eval/corpora/fortieth \
        dev-fortyfourth.jsonl::eval/corpora/fortyfourth dev-fortysixth.jsonl::eval/corpora/fortysixth \
        dev-fiftyfirst.jsonl::eval/corpora/fiftyfirst dev-fiftysecond.jsonl::eval/corpora/fiftysecond \
        dev-fiftythird.jsonl::eval/corpora/fiftythird dev-fiftyfourth.jsonl::eval/corpora/fiftyfourth \
        dev-fiftyfifth.jsonl::eval/corpora/fiftyfifth \
        dev-fiftysixth.jsonl::eval/corpora/fiftysixth \
        dev-fiftyseventh.jsonl::eval/corpora/fiftyseventh \
        dev-fiftyeighth.jsonl::eval/corpora/fiftyeighth dev-fiftyninth.jsonl::eval/corpora/fiftyninth \
        dev-probe-annotation-tools-notes.jsonl::eval/corpora/probe-annotation-tools-notes \
        dev-probe-call-center-stt.jsonl::eval/corpora/probe-call-center-stt \
        dev-probe-ge-vs-pandera.jsonl::eval/corpora/probe-ge-vs-pandera \
        dev-probe-gpu-cloud-providers.jsonl::eval/corpora/probe-gpu-cloud-providers \
        dev-probe-invoice-ocr-lessons.jsonl::eval/corpora/probe-invoice-ocr-lessons \
        dev-probe-llm-gateway-choice.jsonl::eval/corpora/probe-llm-gateway-choice \
        dev-probe-notebook-platforms.jsonl::eval/corpora/probe-notebook-platforms \
        dev-probe-object-storage-datasets.jsonl::eval/corpora/probe-object-storage-datasets \
        dev-probe-vector-databases-compared.jsonl::eval/corpora/probe-vector-databases-compared \
        dev-probe-workflow-schedulers.jsonl::eval/corpora/probe-workflow-schedulers \
        faq.jsonl offdomain.jsonl::eval/corpora/team offdomain-choice.jsonl \
        holdout.jsonl holdout2.jsonl \
        holdout3.jsonl holdout4.jsonl
eval: setup
	@for spec in $(SETS); do \
	  set=$${spec%%::*}; corpus=$${spec#*::}; name=$${set%.jsonl}; \
	  if [ "$$corpus" = "$$spec" ]; then opts=""; \
	  else opts="--corpus $$corpus --index-dir index/$$(basename $$corpus)"; fi; \
	  echo "== $$name"; $(BIN)/assistant $$opts eval eval/$$set --out eval/$$name || exit 1; done

bench: setup
	$(BIN)/assistant bench

clean:
	rm -rf index/*.faiss index/*.jsonl index/*.json index/*.npz index/*.lock index/team index/fresh index/third index/fourth index/fifth index/sixth index/seventh index/eighth index/ninth index/tenth index/eleventh index/twelfth index/thirteenth index/fourteenth index/fifteenth index/sixteenth index/seventeenth index/eighteenth index/nineteenth index/twentieth index/twentyfirst index/twentysecond index/twentythird index/twentyfourth index/twentyfifth index/twentysixth index/twentyseventh index/twentyeighth index/twentyninth index/thirtieth index/thirtyfirst index/thirtysecond index/thirtythird index/thirtyfourth index/thirtyfifth index/thirtysixth index/thirtyseventh index/thirtyeighth index/thirtyninth index/fortieth index/fortyfirst index/fortysecond index/fortythird index/fortyfourth index/fortyfifth index/fortysixth index/fortyseventh index/fortyeighth index/fortyninth index/fiftieth index/fiftyfirst index/fiftysecond index/fiftythird index/fiftyfourth index/fiftyfifth index/fiftysixth index/fiftyseventh index/fiftyeighth index/fiftyninth index/sixtieth index/sixtyfirst index/sixtysecond index/sixtythird index/sixtyfourth index/sixtyfifth index/sixtysixth index/sixtyseventh index/sixtyeighth index/sixtyninth index/seventieth index/seventyfirst index/seventysecond index/seventythird index/seventyfourth index/seventyfifth index/seventysixth index/seventyseventh index/seventyeighth index/seventyninth index/eightieth index/eightyfirst index/eightysecond index/eightythird index/eightyfourth index/eightyfifth index/eightysixth index/eightyseventh index/eightyeighth index/eightyninth index/probe-* eval/artifacts tests/artifacts
