# syntax=docker/dockerfile:1
# awards: one static binary on a distroless base, run as a non-root user.
#   docker build -t awards --build-arg VERSION=$(git describe --tags --always) .
#   docker run -p 8080:8080 -v awards-data:/data awards            # embedded store in /data
#   docker run -p 8080:8080 -e AWARDS_REDIS_URL=redis://… awards    # production Redis

FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /awards ./cmd/awards
# The embedded store's folder, owned by the image's non-root user (distroless has no mkdir).
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /awards /awards
COPY --from=build --chown=65532:65532 /out/data /data
COPY config/milipol-2023.yaml /etc/awards/milipol-2023.yaml
ENV AWARDS_ADDR=:8080 \
    AWARDS_DATA_DIR=/data
USER 65532:65532
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["/awards", "--healthcheck"]
ENTRYPOINT ["/awards"]
