# syntax=docker/dockerfile:1
# MatrixTester web site: build with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t matrixtester .
#   docker run -p 8080:8080 -v matrixtester-data:/data matrixtester
# .ci/image-check.sh builds this image and smoke-tests it where a container engine is available.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached across source changes. For linux-x64
# only: a portable build carries native libraries for some thirty platforms (about 50 MB) the image never uses.
COPY src/Directory.Build.props src/
COPY src/MatrixTester.Diagnostics/MatrixTester.Diagnostics.csproj src/MatrixTester.Diagnostics/
COPY src/MatrixTester.Web/MatrixTester.Web.csproj src/MatrixTester.Web/
RUN dotnet restore src/MatrixTester.Web/MatrixTester.Web.csproj -r linux-x64
COPY .editorconfig ./
COPY src/ src/
COPY wwwroot/ wwwroot/
COPY docs/ docs/
RUN dotnet publish src/MatrixTester.Web/MatrixTester.Web.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
# curl for the health check only. /data belongs to the image's non-root user, so a new volume mounted there does too.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown "$APP_UID" /data
WORKDIR /app
COPY --from=build /app ./
# The base image's non-root user, by number (1654): Kubernetes' runAsNonRoot can only verify a numeric user.
USER $APP_UID
# Results, watches, the tester's signing key and the data-protection keys. The base image already listens on
# port 8080 (ASPNETCORE_HTTP_PORTS).
ENV Storage__DataDirectory=/data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${ASPNETCORE_HTTP_PORTS%%[,;]*}/healthz" || exit 1
ENTRYPOINT ["dotnet", "MatrixTester.Web.dll"]
