"""RQ entry points: ids in, a few lines calling services; run through finance_app.jobs.run_job."""
