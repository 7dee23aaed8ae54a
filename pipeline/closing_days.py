"""The days an office is closed, derived at build time from the `holidays` package.

The engine counts working days (the estimated ready date of a passport) in the browser, where no
holiday calendar is available and the engine stays standard library only. So the build writes,
per post, the public holidays of the country whose calendar closes the office (its fact
`closing_days`: the host country for an embassy, Belgium for a municipality) for the years around
the build date, and ships them with the post (`closed` in the compiled post). Holidays that follow
the lunar calendar are estimates (the `holidays` package names them "(estimated)"): they are kept
apart so that pages can say so.
"""

import datetime

import holidays

YEARS_BEFORE, YEARS_AFTER = 1, 3  # enough for any application date the wizard accepts (3 years ahead)


def closed_days(country, on):
    """{"country", "dates": [ISO, …], "estimated": [ISO, …]} for `country` around build date `on`."""
    year = datetime.date.fromisoformat(on).year
    calendar = holidays.country_holidays(country, years=range(year - YEARS_BEFORE, year + YEARS_AFTER + 1))
    dates = sorted(calendar)
    return {
        "country": country,
        "dates": [day.isoformat() for day in dates],
        "estimated": [day.isoformat() for day in dates if "estimated" in calendar.get(day, "").lower()],
    }
