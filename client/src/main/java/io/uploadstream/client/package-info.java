/**
 * The users' side: publish upload requests and read their results, progress and dead letters, with
 * no consumer group; its settings ({@link io.uploadstream.client.ClientSettings}) too.
 */
package io.uploadstream.client;
