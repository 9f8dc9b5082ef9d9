from fastapi import APIRouter

from search_api.deps import JobsDep, ServicesDep
from search_api.jobs import JobOut
from search_api.schemas import error_responses
from search_api.security import WriteAccess

router = APIRouter(prefix="/api", tags=["jobs"])


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="A background job: its status, progress, and result or error",
    responses=error_responses(404),
)
def get_job(job_id: str, jobs: JobsDep) -> JobOut:
    return jobs.get(job_id).out()


@router.delete(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="Cancel a job (it stops before it writes; the store stays as it was)",
    dependencies=[WriteAccess],
    responses=error_responses(401, 403, 404),
)
def cancel_job(job_id: str, jobs: JobsDep) -> JobOut:
    return jobs.cancel(job_id).out()


@router.post(
    "/reference/reload",
    response_model=JobOut,
    status_code=202,
    summary="Reload the reference data (CHUYI_REFERENCE_DIR) and recompute SERVES, as a background job",
    description="The same as the reference step of `chuyi ingest`: each dataset is replaced whole. Without "
    "CHUYI_REFERENCE_DIR nothing is loaded and the report says so. Needs an API key when keys are configured.",
    dependencies=[WriteAccess],
    responses=error_responses(401, 403, 429, 503),
)
def reload_reference(services: ServicesDep) -> JobOut:
    name = str(services.settings.reference_dir or "(CHUYI_REFERENCE_DIR not set)")
    return services.jobs.submit("reference", name, services.reload_reference).out()
