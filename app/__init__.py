"""Polycat's engine: Z39.50 protocol, associations, records, federated search, exports.

Nothing under ``app`` imports Qt or ``ui``; the window talks to it through one bridge.
"""

__version__ = "0.1.0"
