//! `imsmanifest.xml` for a SCORM 1.2 package: one organization with one item, launching one
//! SCO resource that lists every file of the package.

/// What the manifest says about one packaged study module.
#[derive(Debug, Clone)]
pub struct Manifest<'a> {
    /// The module's id (`modules/01-nine-principles`), made into the XML identifiers.
    pub id: &'a str,
    pub title: &'a str,
    /// The pass mark in percent, when the module has a self-test.
    pub mastery: Option<u8>,
    /// The file the LMS opens, relative to the package root.
    pub launch: &'a str,
    /// Every file of the package but the manifest, relative to the package root.
    pub files: Vec<&'a str>,
}

const NAMESPACES: &str = concat!(
    r#"xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" "#,
    r#"xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2""#,
);

/// The manifest's text, UTF-8, with an XML declaration that says so.
pub fn write(m: &Manifest) -> String {
    let ident = identifier(m.id);
    let title = escape(m.title);
    let mut out = String::with_capacity(1024 + m.files.len() * 48);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<manifest identifier=\"{ident}\" version=\"1.0\" {NAMESPACES}>\n"
    ));
    out.push_str("  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n  </metadata>\n");
    out.push_str(&format!(
        "  <organizations default=\"ORG-{ident}\">\n    <organization identifier=\"ORG-{ident}\">\n      <title>{title}</title>\n"
    ));
    out.push_str(&format!(
        "      <item identifier=\"ITEM-{ident}\" identifierref=\"RES-{ident}\" isvisible=\"true\">\n        <title>{title}</title>\n"
    ));
    if let Some(mastery) = m.mastery {
        out.push_str(&format!(
            "        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>\n"
        ));
    }
    out.push_str("      </item>\n    </organization>\n  </organizations>\n  <resources>\n");
    out.push_str(&format!(
        "    <resource identifier=\"RES-{ident}\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{}\">\n",
        escape(&href(m.launch))
    ));
    for file in &m.files {
        out.push_str(&format!("      <file href=\"{}\"/>\n", escape(&href(file))));
    }
    out.push_str("    </resource>\n  </resources>\n</manifest>\n");
    out
}

/// An XML identifier (an NCName) made from a module id: ASCII letters, digits, `-`, `_`, `.`;
/// anything else becomes `-`, and it starts with a letter.
pub fn identifier(id: &str) -> String {
    let body: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("qinglian-{body}")
}

/// A file path as a URI reference: bytes other than unreserved characters and `/` are
/// percent-encoded (names with spaces or Chinese characters).
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CP: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
    const ADLCP: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";

    fn sample(mastery: Option<u8>) -> String {
        write(&Manifest {
            id: "modules/01 九项",
            title: "九项准则 <通读> & \"自测\"",
            mastery,
            launch: "index.html",
            files: vec!["index.html", "modules/01/index.html", "files/制度 原文.pdf"],
        })
    }

    #[test]
    fn the_manifest_has_the_scorm_1_2_elements() {
        let text = sample(Some(80));
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some(CP));
        assert_eq!(root.tag_name().name(), "manifest");
        let find = |name: &str| {
            doc.descendants()
                .find(|n| n.tag_name().name() == name)
                .unwrap_or_else(|| panic!("no <{name}>"))
        };
        assert_eq!(find("schema").text(), Some("ADL SCORM"));
        assert_eq!(find("schemaversion").text(), Some("1.2"));
        let orgs = find("organizations");
        let org = find("organization");
        assert_eq!(orgs.attribute("default"), org.attribute("identifier"));
        assert_eq!(find("title").text(), Some("九项准则 <通读> & \"自测\""));
        let item = find("item");
        let resource = find("resource");
        assert_eq!(
            item.attribute("identifierref"),
            resource.attribute("identifier")
        );
        let mastery = find("masteryscore");
        assert_eq!(mastery.tag_name().namespace(), Some(ADLCP));
        assert_eq!(mastery.text(), Some("80"));
        assert_eq!(resource.attribute((ADLCP, "scormtype")), Some("sco"));
        assert_eq!(resource.attribute("type"), Some("webcontent"));
        assert_eq!(resource.attribute("href"), Some("index.html"));
        let files: Vec<&str> = resource
            .children()
            .filter(|n| n.tag_name().name() == "file")
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert_eq!(
            files,
            [
                "index.html",
                "modules/01/index.html",
                "files/%E5%88%B6%E5%BA%A6%20%E5%8E%9F%E6%96%87.pdf"
            ]
        );
    }

    #[test]
    fn identifiers_are_xml_names_and_mastery_is_left_out_without_a_test() {
        let text = sample(None);
        assert!(!text.contains("masteryscore"));
        let doc = roxmltree::Document::parse(&text).unwrap();
        let id = doc.root_element().attribute("identifier").unwrap();
        assert_eq!(id, "qinglian-modules-01---");
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        );
    }
}
