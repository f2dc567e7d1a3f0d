def agency_list(request):
    raise NotImplementedError


def agency_detail(request, code):
    raise NotImplementedError
