"""Suite-wide pytest configuration."""

pytest_plugins = ["tests.botapi_fixtures"]
