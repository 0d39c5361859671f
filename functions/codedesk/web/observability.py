"""One Logger and one Metrics for every function (powertools), named by the environment."""

from __future__ import annotations

import logging

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="codedesk")
metrics = Metrics(namespace="Codedesk", service="codedesk")

# Powertools' resolver logs every route's arguments at DEBUG ("Calling API Route Handler: {...}");
# a claim check's arguments are a patient's age, diagnoses and date of service, which are never
# logged, whatever level an operator turns logging up to.
logging.getLogger("aws_lambda_powertools.event_handler").setLevel(logging.INFO)
