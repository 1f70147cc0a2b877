//! A small XML 1.0 well-formedness check for the JUnit output, so that the tests need
//! no Python: one root element, properly nested and matching tags, quoted attributes
//! without duplicates, no bare `<` or `&` (only the five predefined entities and
//! character references), no character XML 1.0 forbids, and only whitespace, comments
//! and processing instructions outside the root. No DTD (stacklint writes none).

/// `Ok` when `xml` is well-formed, else what is wrong and at which byte offset.
pub fn check_well_formed(xml: &str) -> Result<(), String> {
    Checker {
        text: xml,
        at: 0,
        open: Vec::new(),
        roots: 0,
    }
    .document()
}

struct Checker<'t> {
    text: &'t str,
    at: usize,
    open: Vec<&'t str>,
    roots: usize,
}

impl<'t> Checker<'t> {
    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.at))
    }

    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn document(mut self) -> Result<(), String> {
        if let Some(c) = self.text.chars().find(|&c| !allowed(c)) {
            return Err(format!(
                "character U+{:04X} is not allowed in XML 1.0",
                u32::from(c)
            ));
        }
        if self.rest().starts_with("<?xml") {
            self.skip_past("?>", "unterminated XML declaration")?;
        }
        while self.at < self.text.len() {
            let rest = self.rest();
            if rest.starts_with("<!--") {
                self.comment()?;
            } else if rest.starts_with("<![CDATA[") {
                if self.open.is_empty() {
                    return self.fail("CDATA outside the root element");
                }
                self.skip_past("]]>", "unterminated CDATA section")?;
            } else if rest.starts_with("<?") {
                self.skip_past("?>", "unterminated processing instruction")?;
            } else if rest.starts_with("<!") {
                return self.fail("DTDs and declarations are not expected");
            } else if rest.starts_with("</") {
                self.end_tag()?;
            } else if rest.starts_with('<') {
                self.start_tag()?;
            } else {
                self.text_run()?;
            }
        }
        if let Some(name) = self.open.last() {
            return self.fail(&format!("element `{name}` is not closed"));
        }
        if self.roots != 1 {
            return self.fail(&format!("{} root elements", self.roots));
        }
        Ok(())
    }

    fn skip_past(&mut self, end: &str, what: &str) -> Result<(), String> {
        match self.rest().find(end) {
            Some(found) => {
                self.at += found + end.len();
                Ok(())
            }
            None => self.fail(what),
        }
    }

    fn comment(&mut self) -> Result<(), String> {
        self.at += "<!--".len();
        let Some(end) = self.rest().find("--") else {
            return self.fail("unterminated comment");
        };
        self.at += end;
        if !self.rest().starts_with("-->") {
            return self.fail("`--` inside a comment");
        }
        self.at += "-->".len();
        Ok(())
    }

    fn name(&mut self) -> Result<&'t str, String> {
        let rest = self.rest();
        let length = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
            .unwrap_or(rest.len());
        let name = &rest[..length];
        match name.chars().next() {
            Some(c) if c.is_alphabetic() || c == '_' || c == ':' => {
                self.at += length;
                Ok(name)
            }
            _ => self.fail("expected a name"),
        }
    }

    fn skip_space(&mut self) -> bool {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        self.at += rest.len() - trimmed.len();
        rest.len() != trimmed.len()
    }

    fn start_tag(&mut self) -> Result<(), String> {
        if self.open.is_empty() {
            self.roots += 1;
            if self.roots > 1 {
                return self.fail("a second root element");
            }
        }
        self.at += 1;
        let name = self.name()?;
        let mut attributes = Vec::new();
        loop {
            let spaced = self.skip_space();
            let rest = self.rest();
            if rest.starts_with("/>") {
                self.at += 2;
                return Ok(());
            }
            if rest.starts_with('>') {
                self.at += 1;
                self.open.push(name);
                return Ok(());
            }
            if !spaced {
                return self.fail("expected whitespace, `>` or `/>` in a start tag");
            }
            let attribute = self.name()?;
            if attributes.contains(&attribute) {
                return self.fail(&format!("duplicate attribute `{attribute}`"));
            }
            attributes.push(attribute);
            self.skip_space();
            if !self.rest().starts_with('=') {
                return self.fail("expected `=` after an attribute name");
            }
            self.at += 1;
            self.skip_space();
            let Some(quote) = self
                .rest()
                .chars()
                .next()
                .filter(|q| matches!(q, '"' | '\''))
            else {
                return self.fail("an attribute value must be quoted");
            };
            self.at += 1;
            let Some(end) = self.rest().find(quote) else {
                return self.fail("unterminated attribute value");
            };
            let value = &self.rest()[..end];
            if value.contains('<') {
                return self.fail("`<` inside an attribute value");
            }
            self.references(value)?;
            self.at += end + 1;
        }
    }

    fn end_tag(&mut self) -> Result<(), String> {
        self.at += 2;
        let name = self.name()?;
        self.skip_space();
        if !self.rest().starts_with('>') {
            return self.fail("expected `>` to end an end tag");
        }
        self.at += 1;
        match self.open.pop() {
            Some(open) if open == name => Ok(()),
            Some(open) => self.fail(&format!("`</{name}>` closes `<{open}>`")),
            None => self.fail(&format!("`</{name}>` closes nothing")),
        }
    }

    fn text_run(&mut self) -> Result<(), String> {
        let rest = self.rest();
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        if self.open.is_empty() && !text.trim().is_empty() {
            return self.fail("text outside the root element");
        }
        if text.contains("]]>") {
            return self.fail("`]]>` in text");
        }
        self.references(text)?;
        self.at += end;
        Ok(())
    }

    /// Every `&` in `text` starts a predefined entity or a character reference.
    fn references(&self, text: &str) -> Result<(), String> {
        for (offset, _) in text.match_indices('&') {
            let after = &text[offset + 1..];
            let Some(end) = after.find(';') else {
                return self.fail("`&` without `;`");
            };
            let reference = &after[..end];
            let valid = match reference.strip_prefix('#') {
                Some(number) => {
                    let code = match number.strip_prefix('x') {
                        Some(hex) => u32::from_str_radix(hex, 16),
                        None => number.parse(),
                    };
                    code.ok().and_then(char::from_u32).is_some_and(allowed)
                }
                None => matches!(reference, "lt" | "gt" | "amp" | "quot" | "apos"),
            };
            if !valid {
                return self.fail(&format!("unknown reference `&{reference};`"));
            }
        }
        Ok(())
    }
}

/// XML 1.0's `Char` production.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::check_well_formed;

    #[test]
    fn accepts_what_stacklint_writes() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1\" y='&lt;&#x41;'>\
                   <!-- note --><b/>text &amp; more<![CDATA[<raw>]]></a>\n";
        assert_eq!(check_well_formed(xml), Ok(()));
    }

    #[test]
    fn rejects_what_an_xml_parser_rejects() {
        for bad in [
            "<a><b></a></b>",
            "<a>",
            "<a></a><b></b>",
            "<a>x & y</a>",
            "<a>&nbsp;</a>",
            "<a x=1></a>",
            "<a x=\"1\" x=\"2\"></a>",
            "<a x=\"<\"></a>",
            "<a>\u{1}</a>",
            "<a>&#1;</a>",
            "text<a></a>",
            "<a><!-- a -- b --></a>",
            "",
        ] {
            assert!(check_well_formed(bad).is_err(), "{bad:?} accepted");
        }
    }
}
