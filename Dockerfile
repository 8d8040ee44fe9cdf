# The upload-stream processor image: the production jar (no embedded Kafka broker or S3 server)
# on a JRE, run by a non-root user. docs/deploy.md shows it in docker compose, k8s/ in Kubernetes.
#
#   docker build -t upload-stream:0.1.0 .
#   docker run --rm upload-stream:0.1.0 --help

FROM eclipse-temurin:17.0.16_8-jdk-noble AS build
WORKDIR /src

# Dependencies and plugins first, in their own layer: rebuilt only when the POM or the Maven
# wrapper changes. Building the still empty project fetches all the real build needs (more
# reliably than dependency:go-offline, which also chases artifacts the build never uses).
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
RUN ./mvnw -B -ntp -q -Dproduction package -Dmaven.test.skip=true && rm -rf target

COPY schemas/ schemas/
COPY src/main/ src/main/
# -Dproduction leaves out the embedded stack. maven.test.skip, not just -DskipTests: the tests use
# the embedded stack's classes, so with -Dproduction they would not even compile.
RUN ./mvnw -B -ntp -Dproduction package -Dmaven.test.skip=true

FROM eclipse-temurin:17.0.16_8-jre-noble

# A fixed numeric UID, so Kubernetes' runAsNonRoot can check it. /data/files is where the shared
# volume of files to upload is mounted; a new Docker volume takes its owner from here.
RUN groupadd --system --gid 10001 uploadstream \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin uploadstream \
 && mkdir -p /app /data/files \
 && chown 10001:10001 /data/files

COPY --from=build /src/target/upload-stream.jar /app/upload-stream.jar

USER 10001:10001

# Heap = 75% of the container's memory limit (the limit is sized for it: see k8s/base/deployment.yaml);
# on OutOfMemoryError exit at once and let the orchestrator restart us rather than limp on.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"

# metrics.port: GET /metrics, /health/live, /health/ready
EXPOSE 9400

# curl comes with the Temurin image. Liveness only: readiness (partitions assigned) is for Kubernetes.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${UPLOAD_STREAM_METRICS_PORT:-9400}/health/live" || exit 1

ENTRYPOINT ["java","-jar","/app/upload-stream.jar"]
CMD ["run"]
