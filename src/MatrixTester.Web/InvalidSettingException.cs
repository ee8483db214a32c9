namespace MatrixTester.Web;

/// <summary>
/// A setting the site cannot start with, and what to do about it, in one line that names the setting. Thrown before
/// anything starts; the process then reports only this line (see Hosting's SiteStart).
/// </summary>
public sealed class InvalidSettingException : Exception
{
    public InvalidSettingException()
    {
    }

    public InvalidSettingException(string message) : base(message)
    {
    }

    public InvalidSettingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
