"""Test fixtures every service's tests use (registered as the pytest plugin ``ekm``)."""
