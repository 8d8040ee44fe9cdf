/** The composition root: builds one processor from its settings and runs it. */
package io.uploadstream.app;
