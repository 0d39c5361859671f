"""One Logger and one Metrics for every function (powertools), named by the environment."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="codedesk")
metrics = Metrics(namespace="Codedesk", service="codedesk")
