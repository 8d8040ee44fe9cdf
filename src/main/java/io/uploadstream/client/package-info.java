/** The users' side: publish upload requests and read their results, with no consumer group. */
package io.uploadstream.client;
