"""Practice quizzes: the question bank, generated questions, scoring, attempts and review of misses."""
