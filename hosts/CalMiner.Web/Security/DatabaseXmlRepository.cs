using System.Xml.Linq;
using CalMiner.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CalMiner.Web.Security;

/// <summary>The data-protection key ring in CalMiner's database: every host on the database shares it, and it survives restarts.</summary>
internal sealed class DatabaseXmlRepository(DataProtectionKeyRepository keys) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => [.. keys.GetAll().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        keys.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
