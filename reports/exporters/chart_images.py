"""PNG and SVG of the report charts, drawn by kaleido in the server's Chromium.

Kaleido drives a headless Chrome/Chromium; Debian's `chromium` (/usr/bin/chromium)
is found on its own, or the `BROWSER_PATH` environment variable names another. A
new browser costs seconds, so each process keeps one open (in a background thread
with its own event loop) and renders every image in it, a fraction of a second
each. When the browser is missing or fails, `render_chart` raises
ChartImagesUnavailable with a message for people; the browser is started again on
the next call, so installing Chromium needs no restart.

Kaleido is kept off the network: plotly.js comes from the installed plotly
package and MathJax (a CDN script by default) is switched off.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading

logger = logging.getLogger(__name__)

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
START_TIMEOUT = 60  # seconds: a cold Chromium on a busy machine takes several
RENDER_TIMEOUT = 60
DEFAULT_WIDTH = 1100
DEFAULT_HEIGHT = 500

NO_BROWSER = (
    "Chart images need a Chromium browser on the server: install Debian's `chromium` "
    "package (apt-get install chromium), or set BROWSER_PATH to a Chrome or Chromium "
    "executable, then ask again."
)


class ChartImagesUnavailable(Exception):
    """No image could be drawn; str() says why, for the person asking."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


class _Renderer:
    """One kaleido browser per process, used by one request at a time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    def render(self, figure, opts: dict) -> bytes:
        with self._lock:
            if self._kaleido is None:
                self._start()
            future = asyncio.run_coroutine_threadsafe(
                self._kaleido.calc_fig(figure, opts=opts), self._loop
            )
            try:
                return future.result(RENDER_TIMEOUT)
            except Exception as error:
                future.cancel()
                self._stop()  # a browser that failed once is not trusted again
                logger.warning("kaleido could not draw a chart: %r", error)
                raise ChartImagesUnavailable(
                    f"The chart image could not be drawn ({type(error).__name__}); "
                    "try again, and if it persists check the server's Chromium.",
                    detail=str(error),
                ) from None

    def _start(self) -> None:
        import kaleido  # imported here: a server without charts never loads it

        async def open_browser():
            browser = kaleido.Kaleido(mathjax=False)
            await browser.open()
            return browser

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=_run, args=(self._loop,), name="kaleido", daemon=True
        )
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(open_browser(), self._loop)
        try:
            self._kaleido = future.result(START_TIMEOUT)
        except Exception as error:
            future.cancel()
            self._stop()
            logger.warning("kaleido could not start a browser: %r", error)
            raise ChartImagesUnavailable(NO_BROWSER, detail=str(error)) from None

    def _stop(self) -> None:
        loop, browser = self._loop, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        if browser is not None:
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
            except Exception as error:  # closing a broken browser may fail too
                logger.info("kaleido browser did not close cleanly: %r", error)
        loop.call_soon_threadsafe(loop.stop)

    def stop(self) -> None:
        with self._lock:
            self._stop()


def _run(loop: asyncio.AbstractEventLoop) -> None:
    loop.run_forever()
    loop.close()


_renderer = _Renderer()
atexit.register(_renderer.stop)


def render_chart(figure, image_format: str, *, width: int | None = None, height=None) -> bytes:
    """The figure (a plotly Figure or its dict) as PNG or SVG bytes.

    The width defaults to DEFAULT_WIDTH, the height to the figure's own layout height
    (the heatmaps grow with their rows) or DEFAULT_HEIGHT.
    """
    if image_format not in FORMATS:
        raise ValueError(f"image format '{image_format}': expected png or svg")
    layout = (
        figure.get("layout", {}) if isinstance(figure, dict) else figure.layout.to_plotly_json()
    )
    opts = {
        "format": image_format,
        "width": width or layout.get("width") or DEFAULT_WIDTH,
        "height": height or layout.get("height") or DEFAULT_HEIGHT,
        "scale": 2 if image_format == "png" else 1,  # PNG at twice the size: sharp on slides
    }
    return _renderer.render(figure, opts)


def stop_renderer() -> None:
    """Close this process's browser (the next render starts a new one)."""
    _renderer.stop()
