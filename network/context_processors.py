from . import access


def roles(request):
    user = request.user
    return {
        "is_professional": access.is_professional(user),
        "is_coordinator": access.is_coordinator(user),
        "is_editor": access.is_editor(user),
    }
