package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartBuffersTest {

  @Test
  void acquire_afterRelease_reusesTheSameArray() {
    PartBuffers buffers = new PartBuffers(1024, 2);
    byte[] first = buffers.acquire(1024);
    buffers.release(first);

    assertThat(buffers.acquire(1024)).isSameAs(first);
    assertThat(buffers.acquire(10)).hasSize(10); // nothing idle: a small request costs its size
  }

  @Test
  void acquire_smallRequest_reusesAnIdleFullBuffer() {
    PartBuffers buffers = new PartBuffers(1024, 2);
    byte[] full = buffers.acquire(1024);
    buffers.release(full);

    assertThat(buffers.acquire(1)).isSameAs(full);
  }

  @Test
  void release_keepsAtMostMaxIdleFullSizeBuffers() {
    PartBuffers buffers = new PartBuffers(1024, 2);
    byte[] a = buffers.acquire(1024);
    byte[] b = buffers.acquire(1024);
    byte[] c = buffers.acquire(1024);

    buffers.release(a);
    buffers.release(b);
    buffers.release(c);
    buffers.release(new byte[10]);
    buffers.release(buffers.acquire(4096));

    assertThat(buffers.idleCount()).isEqualTo(2);
  }
}
