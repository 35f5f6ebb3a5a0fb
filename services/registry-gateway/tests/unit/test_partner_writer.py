"""Partner inbound's writer: records that arrive together are stored in one transaction,
each caller gets its own record's outcome, and a batch that fails is retried record by
record so that only the record at fault fails."""

import threading

import pytest

from registry_gateway.partner_inbound import GroupWriter, Refused


def test_records_waiting_together_share_one_transaction_and_a_bad_one_fails_alone():
    gate, entered, batches = threading.Event(), threading.Event(), []

    def store(batch):
        entered.set()
        gate.wait(5)
        batches.append(list(batch))
        if "bad" in batch and len(batch) > 1:
            raise RuntimeError("unique constraint")  # the whole transaction is rolled back
        if batch == ["bad"]:
            raise RuntimeError("unique constraint")
        return [f"stored {item}" for item in batch]

    writer = GroupWriter(store, max_batch=10)
    try:
        first = writer.submit("a")  # taken at once; the others queue behind it
        assert entered.wait(5)
        rest = [writer.submit(item) for item in ("b", "bad", "c")]
        gate.set()
        assert first.result(5) == "stored a"
        assert [rest[0].result(5), rest[2].result(5)] == ["stored b", "stored c"]
        with pytest.raises(Refused):
            rest[1].result(5)
    finally:
        writer.close()
    assert batches[0] == ["a"] and batches[1] == ["b", "bad", "c"]  # one transaction for those that waited
    assert batches[2:] == [["b"], ["bad"], ["c"]]
