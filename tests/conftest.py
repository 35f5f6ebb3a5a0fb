"""Cross-service tests start the platform's real processes (see ekm_platform.testing)."""
