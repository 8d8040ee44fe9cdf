/** The event contract: upload requests and results, their JSON codec and schema checks. */
package io.uploadstream.contract;
