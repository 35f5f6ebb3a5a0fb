"""Shared platform library of the ЕКМ services. No domain code lives here."""
