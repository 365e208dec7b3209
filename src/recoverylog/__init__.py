"""recoverylog: a local-first recovery journal and check-in tracker."""

__version__ = "0.1.0"
