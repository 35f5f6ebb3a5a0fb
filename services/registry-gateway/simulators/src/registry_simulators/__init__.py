"""Simulators of other agencies' registries, reached over the network exactly as the real
ones would be (through Trembita / X-Road). Never part of the product: demo and tests only."""
