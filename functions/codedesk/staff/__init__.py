"""The staff directory: who works here, by `user_id`, with a display name, roles and team."""
