"""Traffic mixed over every role's journeys, for `make load` (locust, FastHttpUser).

Each simulated person signs in through the local dev session, then repeats what that role does
all day. Ids (quizzes, payers, releases) are discovered from the API, not hard-coded.
"""

from __future__ import annotations

import random

from locust import FastHttpUser, constant, task

CODE_QUERIES = [
    "diab",
    "diabetes foot ulcer",
    "E11.9",
    "e119",
    "HTN",
    "heart attack",
    "sore throat",
    "asthma",
    "fracture ankle",
    "J45",
    "copd",
    "pneumonia",
    "uti",
    "migraine",
    "Z00.00",
]
CODES = ["E11.9", "I10", "J45.909", "S93.401A", "U07.1", "E11", "Z00.00", "M54.50"]
DENIALS = ["CO-16,N290", "PR-1", "CO-45", "CO-29", "CO-97,M15", "OA-23", "CO-50", "PR-2"]


class Person(FastHttpUser):
    abstract = True
    wait_time = constant(0)  # the target is throughput at 8 concurrent users: no think time
    role = "receptionist"

    def on_start(self) -> None:
        answer = self.client.post(
            "/api/dev/session", json={"user": f"load-{self.role}-{id(self)}", "groups": [self.role]}
        )
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        self.quizzes = [q["quiz_id"] for q in self.get("/api/quizzes").json().get("items", [])] or ["receptionist"]
        self.payers = [p["payer_id"] for p in self.get("/api/payers").json().get("items", [])] or ["none"]

    def get(self, path: str, name: str | None = None):
        return self.client.get(path, headers=self.headers, name=name or path)

    @task(1)
    def health(self) -> None:
        self.client.get("/api/health")


class Receptionist(Person):
    role = "receptionist"

    @task(3)
    def guide(self) -> None:
        self.client.get("/guides/receptionist/", name="/guides/<role>/")

    @task(2)
    def quiz(self) -> None:
        self.get(f"/api/quizzes/{random.choice(self.quizzes)}", name="/api/quizzes/<id>")

    @task(2)
    def payer_sheet(self) -> None:
        self.get(f"/api/payers/{random.choice(self.payers)}", name="/api/payers/<id>")


class Coder(Person):
    role = "coder"

    @task(6)
    def search(self) -> None:
        self.get(f"/api/codes/search?q={random.choice(CODE_QUERIES)}", name="/api/codes/search")

    @task(4)
    def lookup(self) -> None:
        self.get(f"/api/codes/ICD10CM/{random.choice(CODES)}", name="/api/codes/<system>/<code>")

    @task(1)
    def code_sets(self) -> None:
        self.get("/api/code-sets")


class Biller(Person):
    role = "biller"

    @task(5)
    def explain(self) -> None:
        self.get(f"/api/denials/explain?codes={random.choice(DENIALS)}", name="/api/denials/explain")

    @task(2)
    def card(self) -> None:
        self.get(f"/api/denials/{random.choice(['16', 'N290', 'CO-45', 'PR-1'])}", name="/api/denials/<code>")

    @task(2)
    def rules(self) -> None:
        self.get(f"/api/payers/{random.choice(self.payers)}/rules?code=99213", name="/api/payers/<id>/rules")


class Supervisor(Person):
    role = "supervisor"

    @task(2)
    def reviews(self) -> None:
        self.get("/api/reviews?status=open", name="/api/reviews")

    @task(2)
    def releases(self) -> None:
        self.get("/api/releases?year=2027", name="/api/releases")

    @task(1)
    def report(self) -> None:
        self.get("/api/reports/quizzes")
