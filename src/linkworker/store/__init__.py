"""Storage: connections, migrations, audit, backups, encryption, the writer lock.

Storage knows no business rule: nothing here imports a domain module.
"""
