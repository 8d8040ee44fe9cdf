#!/usr/bin/env python3
"""Publish one upload request and wait for its result, with confluent-kafka.

    pip install confluent-kafka
    python3 examples/python/submit_and_wait.py FILE [PREFIX]

Environment: BOOTSTRAP (default localhost:9092), REQUESTS (upload-requests),
RESULTS (upload-results), TIMEOUT in seconds (60). Prints the result as one line of JSON;
exit status 0 SUCCEEDED, 1 FAILED, 2 no result in time.
"""
import json
import os
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition


def results_consumer(bootstrap, topic):
    """A consumer of every partition of the result topic, positioned at its end now.

    Positioned before the request is published, so its result cannot be missed. No group
    membership and no commits: any number of callers can wait side by side. read_committed
    reads only results whose transaction committed: what the exactly-once promise is about
    (librdkafka's default; aiokafka's default is read_uncommitted, so set it there).
    """
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "upload-stream-example",  # required by the client, never joined
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    positions = []
    for partition in partitions:
        _, end = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
        positions.append(TopicPartition(topic, partition, end))
    consumer.assign(positions)
    return consumer


def main():
    path = os.path.abspath(sys.argv[1])  # as the processor sees it: same machine or a shared volume
    prefix = sys.argv[2] if len(sys.argv) > 2 else "tmp"
    bootstrap = os.environ.get("BOOTSTRAP", "localhost:9092")
    requests = os.environ.get("REQUESTS", "upload-requests")
    results = os.environ.get("RESULTS", "upload-results")
    timeout = float(os.environ.get("TIMEOUT", "60"))

    consumer = results_consumer(bootstrap, results)
    request_id = str(uuid.uuid4())
    request = {"requestId": request_id, "filePath": path, "prefix": prefix}
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    # One JSON object per record; the requestId as the key keeps a caller's requests in order.
    producer.produce(requests, key=request_id, value=json.dumps(request))
    if producer.flush(10) > 0:
        sys.exit("the request was not acknowledged by Kafka at " + bootstrap)

    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            if message.key() is not None and message.key().decode() == request_id:
                result = json.loads(message.value())
                print(json.dumps(result))
                sys.exit(0 if result["status"] == "SUCCEEDED" else 1)
    finally:
        consumer.close()
    print("no result for request %s within %ss" % (request_id, timeout), file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
