"""Django's own strings that our pages show and that Django's Kazakh catalog leaves in English
(or words poorly), marked here so that `makemessages` keeps them in locale/*/django.po, where
our translations take precedence over Django's. Never imported: the markers are for xgettext.

The msgids must stay exactly as Django writes them (django/contrib/auth/forms.py,
django/forms/forms.py, django/core/validators.py, django/views/csrf.py,
django/utils/dates.py); tests/test_translations.py checks that they still match.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

DJANGO_STRINGS = (
    # The login form (django.contrib.auth.forms.AuthenticationForm).
    gettext_noop("username"),
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both "
        "fields may be case-sensitive."
    ),
    # Form errors.
    gettext_noop("Enter a whole number."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("(Hidden field %(name)s) %(error)s"),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    # The page of a failed CSRF check (django.views.csrf.csrf_failure).
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop(
        "You are seeing this message because this HTTPS site requires a "
        "“Referer header” to be sent by your web browser, but none was "
        "sent. This header is required for security reasons, to ensure "
        "that your browser is not being hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable “Referer” headers, "
        "please re-enable them, at least for this site, or for HTTPS "
        "connections, or for “same-origin” requests."
    ),
    gettext_noop(
        'If you are using the <meta name="referrer" '
        'content="no-referrer"> tag or including the “Referrer-Policy: '
        "no-referrer” header, please remove them. The CSRF protection "
        "requires the “Referer” header to do strict referer checking. If "
        "you’re concerned about privacy, use alternatives like "
        '<a rel="noreferrer" …> for links to third-party sites.'
    ),
    gettext_noop(
        "You are seeing this message because this site requires a CSRF "
        "cookie when submitting forms. This cookie is required for "
        "security reasons, to ensure that your browser is not being "
        "hijacked by third parties."
    ),
    gettext_noop(
        "If you have configured your browser to disable cookies, please "
        "re-enable them, at least for this site, or for “same-origin” "
        "requests."
    ),
    gettext_noop("More information is available with DEBUG=True."),
    # Month names in dates (the "E" of `date:"j E Y"`): in Kazakh they are written in lower
    # case inside a date ("20 қаңтар 2020"); Django's catalog capitalises them.
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
