/** Tests of the deployment files: Dockerfile, docker-compose.yml, k8s/ and monitoring/. */
package io.uploadstream.deploy;
