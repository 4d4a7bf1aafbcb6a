.PHONY: app test bench docs

## make app: run the Streamlit app on the bundled framework (http://localhost:8501)
app:
	./scripts/app.sh

## make test: install everything needed and run lint, types and the whole test suite
test:
	./scripts/test.sh

## make bench: run the benchmarks and rewrite docs/performance.md
bench:
	./scripts/bench.sh
