# SPDX-License-Identifier: GPL-2.0-or-later

dist_bashcompletion_DATA = contrib/bash-completion/iommuctl \
	contrib/bash-completion/iommuctl-conformance
