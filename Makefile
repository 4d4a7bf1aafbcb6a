.PHONY: app test test-latest lock bench docs docs-images

## make app: run the Streamlit app on the bundled framework, local mode, http://127.0.0.1:8501
##           (PORT=8600 make app for another port; it listens on 127.0.0.1 only)
app:
	./scripts/app.sh

## make test: install the locked versions (uv.lock), then lint, type-check and run every test
test:
	./scripts/test.sh

## make test-latest: the same suite against the newest versions pyproject.toml allows (not CI):
##                   what the next `make lock` would break
test-latest:
	./scripts/test-latest.sh

## make lock: refresh uv.lock to the newest allowed versions (commit it with the fixes it needs)
lock:
	./scripts/lock.sh

## make bench: run the benchmarks and rewrite docs/performance.md
bench:
	./scripts/bench.sh

## make docs-images: retake every picture in docs/images in Chromium (the browser tests with
##                   SKILLMATRIX_UPDATE_DOC_IMAGES=1), rewrite docs/app.md's page list, and drop
##                   pictures no test takes any more
docs-images:
	SKILLMATRIX_UPDATE_DOC_IMAGES=1 .venv/bin/pytest -p no:cacheprovider --no-cov -q tests/browser
	.venv/bin/pytest -p no:cacheprovider --no-cov -q tests/browser/test_doc_images.py
