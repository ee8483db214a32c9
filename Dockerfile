# syntax=docker/dockerfile:1
# MatrixTester web site: build with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t matrixtester .
#   docker run -p 8080:8080 -v matrixtester-data:/data matrixtester

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached across source changes.
COPY src/Directory.Build.props src/
COPY src/MatrixTester.Diagnostics/MatrixTester.Diagnostics.csproj src/MatrixTester.Diagnostics/
COPY src/MatrixTester.Web/MatrixTester.Web.csproj src/MatrixTester.Web/
RUN dotnet restore src/MatrixTester.Web/MatrixTester.Web.csproj
COPY .editorconfig ./
COPY src/ src/
COPY wwwroot/ wwwroot/
COPY docs/ docs/
RUN dotnet publish src/MatrixTester.Web/MatrixTester.Web.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
# curl for the health check only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build /app ./
# The image's built-in non-root user (uid 1654).
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    Storage__DataDirectory=/data \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "MatrixTester.Web.dll"]
