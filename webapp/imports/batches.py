"""What every import does with its uploads: discard one, forget stale ones, lock one to apply it."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.imports.models import ImportBatch, ImportStatus

#: unapplied uploads older than this are discarded (their file emptied) on the next upload
STALE_AFTER = timedelta(hours=24)


def discard_stale_batches() -> int:
    """Forget the files of uploads never confirmed within a day (a staff list is personal data)."""
    result = db.session.execute(
        sa.update(ImportBatch)
        .where(ImportBatch.status == ImportStatus.UPLOADED, ImportBatch.created_dt < utcnow() - STALE_AFTER)
        .values(status=ImportStatus.DISCARDED, content=b"")
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def discard(batch: ImportBatch) -> None:
    """Drop an upload without importing it; its file is deleted."""
    batch.status = ImportStatus.DISCARDED
    batch.content = b""
    db.session.flush()


def lock_batch(batch_id: int) -> ImportBatch | None:
    """The batch, locked until the end of the transaction (a double click waits here, then sees
    the batch applied)."""
    return db.session.scalars(
        sa.select(ImportBatch).where(ImportBatch.id == batch_id).with_for_update()
        .execution_options(populate_existing=True)).first()
