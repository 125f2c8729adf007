/**
 * The modern sign-in for Microsoft 365 SMTP: the OAuth 2.0 device authorization grant (RFC 8628)
 * against Microsoft identity, giving an access token for the delegated scope
 * {@code https://outlook.office.com/SMTP.Send}, which the live check uses with {@code AUTH XOAUTH2}.
 * The token is a {@link io.smtpassistant.core.check.Secret}: used for one check, then cleared.
 */
package io.smtpassistant.core.oauth;
