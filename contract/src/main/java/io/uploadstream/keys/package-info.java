/** The key and URL rules every side shares: object keys, CDN URLs, content types, request ids. */
package io.uploadstream.keys;
