"""The template as CloudFormation receives it: SAM's transform run offline."""

from __future__ import annotations

import copy
import os
from functools import cache
from typing import Any

from codedesk.template import read_template


@cache
def translated_template() -> dict[str, Any]:
    """SAM's output for the template, or AssertionError naming what the translator refused."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.public.translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    class NoManagedPolicies(ManagedPolicyLoader):
        def __init__(self):
            pass

        def load(self):
            return {}

    # `sam package` replaces the local CodeUri with the uploaded artifact's S3 address; do the same.
    template = copy.deepcopy(read_template())
    template["Globals"]["Function"]["CodeUri"] = "s3://codedesk-artifacts/lambda.zip"
    try:
        return transform(template, {}, NoManagedPolicies())
    except InvalidDocumentException as error:
        raise AssertionError("; ".join(str(cause) for cause in error.causes)) from error
