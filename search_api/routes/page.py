"""The web page and the API docs, served by the app itself: nothing comes from a CDN.

The page is static HTML/CSS and ES modules from search_api/static (no build step). The browser libraries
it and /docs, /redoc use come from npm (search_api/vendor/package.json, installed by scripts/setup with
`npm ci`): only their prebuilt dist folders are served, under /vendor/<name>/.
"""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

PACKAGE_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = PACKAGE_DIR / "static"
NODE_MODULES = PACKAGE_DIR / "vendor" / "node_modules"

# URL folder → the npm package folder it serves (the dist files only where a package has them).
VENDOR_DIRS = {
    "cytoscape": "cytoscape/dist",
    "layout-base": "layout-base",
    "cose-base": "cose-base",
    "cytoscape-fcose": "cytoscape-fcose",
    "swagger-ui": "swagger-ui-dist",
    "redoc": "redoc/bundles",
}
FAVICON = "/static/favicon.svg"
# The docs pages may load only what this app serves: ReDoc's bundle would otherwise fetch its sidebar
# logo from its vendor's CDN (an <img> it always renders). Inline scripts and styles are the pages' own
# start-up code; ReDoc runs its search in a blob: worker.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline' blob:; worker-src 'self' blob:; connect-src 'self'"
)
TITLE = "楚怡 knowledge graph and search"

router = APIRouter(tags=["page"])


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/docs", include_in_schema=False)
def swagger_ui() -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title=f"{TITLE} · Swagger UI",
        swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url=FAVICON,
        oauth2_redirect_url="/docs/oauth2-redirect",
    )
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page


@router.get("/docs/oauth2-redirect", include_in_schema=False)
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc", include_in_schema=False)
def redoc() -> HTMLResponse:
    page = get_redoc_html(
        openapi_url="/openapi.json",
        title=f"{TITLE} · ReDoc",
        redoc_js_url="/vendor/redoc/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page


def install_page(app: FastAPI) -> None:
    """The page, its static files and the vendored libraries. The app must be created with
    docs_url=None and redoc_url=None: these /docs and /redoc replace FastAPI's CDN-based ones."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for name, folder in VENDOR_DIRS.items():
        # check_dir=False: without `npm ci` the API still starts; the page says the graph library is missing.
        files = StaticFiles(directory=NODE_MODULES / folder, check_dir=False)
        app.mount(f"/vendor/{name}", files, name=f"vendor-{name}")
