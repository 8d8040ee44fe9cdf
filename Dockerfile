# The upload-stream processor image: the production jar (no embedded Kafka broker or S3 server)
# on a JRE, run by a non-root user. docs/deploy.md shows it in docker compose, k8s/ in Kubernetes.
#
#   docker build -t upload-stream:0.1.0 .
#   docker run --rm upload-stream:0.1.0 --help

FROM eclipse-temurin:17.0.16_8-jdk-noble AS build
WORKDIR /src

# Dependencies and plugins first, in their own layer: rebuilt only when a POM or the Maven wrapper
# changes. Building the still empty modules fetches all the real build needs (more reliably than
# dependency:go-offline, which also chases artifacts the build never uses). Every module's POM is
# there because the reactor lists them all; only the processor and what it depends on are built.
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY contract/pom.xml contract/
COPY client/pom.xml client/
COPY processor/pom.xml processor/
COPY dev/pom.xml dev/
COPY bench/pom.xml bench/
RUN ./mvnw -B -ntp -q -pl processor -am package -Dmaven.test.skip=true && rm -rf */target

COPY schemas/ schemas/
COPY contract/src/main/ contract/src/main/
COPY client/src/main/ client/src/main/
COPY processor/src/main/ processor/src/main/
# The processor module and the two it depends on: no embedded broker or S3 server exists there.
# maven.test.skip, not just -DskipTests: tests are not part of the image and need not compile.
RUN ./mvnw -B -ntp -pl processor -am package -Dmaven.test.skip=true

FROM eclipse-temurin:17.0.16_8-jre-noble

# A fixed numeric UID, so Kubernetes' runAsNonRoot can check it. /data/files is where the shared
# volume of files to upload is mounted; a new Docker volume takes its owner from here.
RUN groupadd --system --gid 10001 uploadstream \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin uploadstream \
 && mkdir -p /app /data/files \
 && chown 10001:10001 /data/files

COPY --from=build /src/processor/target/upload-stream.jar /app/upload-stream.jar

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
