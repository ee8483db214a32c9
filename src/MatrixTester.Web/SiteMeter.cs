namespace MatrixTester.Web;

/// <summary>
/// The name of the site's one meter. Each part makes its instruments on it through the host's meter factory (so two
/// hosts in one process, as in the tests, keep separate meters); /metrics exports every instrument on it.
/// </summary>
public static class SiteMeter
{
    public const string Name = "MatrixTester";
}
