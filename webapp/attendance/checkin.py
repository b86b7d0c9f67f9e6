"""(being written)"""

from webapp.attendance.routes import bp  # noqa: F401
