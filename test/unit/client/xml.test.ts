import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRibclRequest, escapeXmlAttribute, isXmlSafe } from '../../../src/client/ribcl/request.js';
import { parseRibclResponse, RibclProtocolError } from '../../../src/client/ribcl/response.js';
import { attr, child, decodeXmlText, parseXml, XmlSyntaxError } from '../../../src/client/xml.js';

describe('parseXml', () => {
  it('refuses DTDs, so that no entity is ever expanded', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><r v="&b;&b;"/>`;
    expect(() => parseXml(bomb)).toThrow(XmlSyntaxError);
    expect(() => parseXml('<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>')).toThrow(XmlSyntaxError);
  });

  it('decodes entities exactly once', () => {
    expect(parseXml(`<r a='&amp;lt; &#65;&#x42; &quot;'/>`).attrs.a).toBe('&lt; AB "');
    expect(decodeXmlText('&bogus; &amp;')).toBe('&bogus; &');
  });

  it('bounds nesting', () => {
    const deep = `${'<a>'.repeat(200)}${'</a>'.repeat(200)}`;
    expect(() => parseXml(deep)).toThrow(XmlSyntaxError);
  });

  it('wants one root element', () => {
    expect(() => parseXml('<a/><b/>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('text')).toThrow(XmlSyntaxError);
  });

  it('matches attribute names case-insensitively and tolerates spaces around =', () => {
    const e = parseXml('<R><DEVICE value ="x" VALUE2= "y"/></R>');
    expect(attr(child(e, 'DEVICE'), 'VALUE')).toBe('x');
    expect(attr(child(e, 'DEVICE'), 'value2')).toBe('y');
  });
});

describe('parseRibclResponse', () => {
  it('refuses replies that are not RIBCL', () => {
    expect(() => parseRibclResponse('')).toThrow(RibclProtocolError);
    expect(() => parseRibclResponse('<?xml version="1.0"?><HTML/>')).toThrow(/unexpected root/);
    expect(() => parseRibclResponse('<?xml version="1.0"?><RIBCL><RESPONSE STATUS="zz"/></RIBCL>')).toThrow(
      /valid STATUS/,
    );
    expect(() => parseRibclResponse('<?xml version="1.0"?><RIBCL><RESPONSE')).toThrow(RibclProtocolError);
  });

  it('accepts documents with or without declarations and chunk boundaries anywhere', () => {
    const one = `<RIBCL VERSION="2.23"><RESPONSE STATUS="0x0000" MESSAGE='No error'/><GET_HOST_POWER HOST_POWER="OFF"/></RIBCL>`;
    expect(parseRibclResponse(one)).toMatchObject({ ok: true, payloads: [{ tag: 'GET_HOST_POWER' }] });
  });
});

describe('buildRibclRequest', () => {
  it('escapes every attribute, the password included, so that any text survives a round trip', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter(isXmlSafe),
        fc.string().filter(isXmlSafe),
        (password, url) => {
          const script = buildRibclRequest({ username: 'admin', password }, 'RIB_INFO', 'write', {
            tag: 'INSERT_VIRTUAL_MEDIA',
            attrs: [
              ['DEVICE', 'CDROM'],
              ['IMAGE_URL', url],
            ],
          });
          const root = parseXml(script);
          const login = child(root, 'LOGIN');
          expect(attr(login, 'PASSWORD')).toBe(password);
          expect(attr(child(child(login, 'RIB_INFO'), 'INSERT_VIRTUAL_MEDIA'), 'IMAGE_URL')).toBe(url);
        },
      ),
    );
  });

  it('writes USER_LOGIN before PASSWORD and ends with CRLF, as proliantutils does', () => {
    const script = buildRibclRequest({ username: 'u', password: 'p' }, 'SERVER_INFO', 'read', {
      tag: 'GET_PRODUCT_NAME',
    });
    expect(script).toBe(
      '<RIBCL VERSION="2.0"><LOGIN USER_LOGIN="u" PASSWORD="p"><SERVER_INFO MODE="read"><GET_PRODUCT_NAME/></SERVER_INFO></LOGIN></RIBCL>\r\n',
    );
    expect(escapeXmlAttribute('a"b<c>&\n')).toBe('a&#34;b&#60;c&#62;&#38;&#10;');
  });
});
